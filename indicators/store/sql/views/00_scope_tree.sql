-- Every scope with each scope under it, itself included (全区 → 双桥双新泾 → 虹桥街道 …): a
-- register record filed under a 街镇 counts for that 街镇 and every group above it.
with recursive tree(ancestor_code, scope_code) as (
    select scope_code, scope_code from scopes
    union all
    select t.ancestor_code, s.scope_code
    from tree t
    join scopes s on s.parent_code = t.scope_code
),
final as (
    select * from tree
)
select * from final
