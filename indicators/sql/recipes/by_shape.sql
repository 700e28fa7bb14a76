-- The recipe saved last for a header shape.
select name, body from recipes where shape = $shape order by saved_at desc, name limit 1
