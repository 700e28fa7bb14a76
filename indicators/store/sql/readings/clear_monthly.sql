-- 街镇-month totals are recomputed for whole months: first the months in the range go.
delete from building_energy_monthly
where make_date(year, month, 1) between date_trunc('month', $first::timestamp)::date
                                    and date_trunc('month', $last::timestamp)::date
