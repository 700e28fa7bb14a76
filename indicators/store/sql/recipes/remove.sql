delete from recipes where name = $name
