insert into indicator_catalogue values ($id, $unit, $direction, $formula, $additive)
