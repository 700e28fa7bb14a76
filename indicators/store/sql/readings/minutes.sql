-- How many readings fall on each minute past the hour (the file's interval: 60, 30, 15).
select minute(hour) as minute, count(*) as readings from parsed
where hour is not null and second(hour) = 0 and not is_summary
group by minute(hour)
