delete from energy_readings_replaced where replaced_by = $batch_id
