select count(*) from building_energy_monthly
