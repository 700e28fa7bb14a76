-- The distinct numbers of a column (column: an identifier, put in by the caller from a
-- fixed list) that a cast cannot read: full-width digits, spaces, "1 234". Python reads them.
select distinct trim($column::varchar) from raw
where try_cast($column as double) is null  -- a typed number column is read as it is
    and try_cast(replace(trim($column::varchar), ',', '') as double) is null
    and nullif(trim($column::varchar), '') is not null
limit 100000
