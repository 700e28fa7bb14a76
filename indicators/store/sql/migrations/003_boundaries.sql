-- Official 街镇 boundaries loaded by an editor; when present they replace the schematic ones.
create table boundaries (
    scope_code varchar primary key,
    geometry_geojson varchar not null,  -- WGS 84
    source varchar not null,
    batch_id integer
);
