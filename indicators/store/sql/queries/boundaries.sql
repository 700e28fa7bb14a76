select scope_code, geometry_geojson, source from boundaries order by scope_code
