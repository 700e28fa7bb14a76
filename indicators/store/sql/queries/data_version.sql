select value from meta where key = 'data_version'
