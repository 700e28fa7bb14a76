insert into scopes values ($code, $zh, $en, $kind, $focus, $order, $parent)
