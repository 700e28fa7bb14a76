delete from boundaries
