insert into energy_factors values ($energy_type, $unit, $kgce_per_unit, $source)
