-- Use or register cells written with a footnote mark after the figure (1,000①): each
-- distinct text once, with its first row and how many rows hold it, for a note. The marks
-- are what Python found on the text as written (footnote_map; see cells.footnote).
select f.column_id, f.raw, f.mark, min(r.excel_row) as excel_row, count(*) as n
from raw r
join footnote_map f
    on f.raw = trim(case f.column_id when 'quantity' then r.quantity::varchar
                                     else r.register::varchar end)
group by all
order by excel_row
limit $limit
