insert into change_log (batch_id, seq, table_name, action, key_json, old_row_json, new_row_json)
values ($batch_id, $seq, $table_name, $action, $key_json, $old_row_json, $new_row_json)
