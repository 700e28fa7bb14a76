select min(hour) as first, max(hour) as last from energy_readings
