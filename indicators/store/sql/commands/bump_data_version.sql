-- Every committed write counts up, so caches keyed on the data version go stale.
update meta set value = (value::integer + 1)::varchar where key = 'data_version'
