-- The scopes in display order.
select * from scopes order by sort_order
