-- How many rows give a use, and how many a cumulative register reading.
select count(quantity_text) as uses, count(register_text) as registers
from parsed where not is_summary
