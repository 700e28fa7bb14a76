-- What each figure about to be loaded (_figures: its key and _row) is judged against: the
-- public figure of the same period last year, and the figure it would replace — a 街镇's
-- own pending figure for a correction ($pending), else the public one (reported or
-- derived, as the pages show it).
with figures as (
    select * from _figures
),
final as (
    select f._row,
           ly.value as last_year_value,
           ly.is_demo as last_year_is_demo,
           case when $pending and p.scope_code is not null then p.value else m.value end
               as replaced_value,
           case when $pending and p.scope_code is not null then p.is_demo else m.is_demo end
               as replaced_is_demo
    from figures f
    left join indicator_mart ly
        on ly.scope_code = f.scope_code and ly.indicator_id = f.indicator_id
       and ly.breakdown = f.breakdown and ly.year = f.year - 1 and ly.period = f.period
    left join indicator_mart m
        on m.scope_code = f.scope_code and m.indicator_id = f.indicator_id
       and m.breakdown = f.breakdown and m.year = f.year and m.period = f.period
    left join pending_observations p
        on p.scope_code = f.scope_code and p.indicator_id = f.indicator_id
       and p.breakdown = f.breakdown and p.year = f.year and p.period = f.period
)
select * from final
order by _row
