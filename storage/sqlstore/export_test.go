package sqlstore

// SerializationRetries returns how many attempts s retried after a
// serialization failure (SQLSTATE 40001).
func (s *Store) SerializationRetries() int64 { return s.serializationRetries.Load() }
