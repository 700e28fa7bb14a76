select excel_row from parsed where is_summary order by excel_row
