delete from energy_readings where batch_id = $batch_id
