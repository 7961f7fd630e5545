package model

// LogGroup is a CloudWatch Logs log group as stored.
type LogGroup struct {
	Name               string            `json:"logGroupName"`
	Arn                string            `json:"logGroupArn"` // without the ":*" that DescribeLogGroups' arn adds
	CreationTime       int64             `json:"creationTime"`
	RetentionInDays    int               `json:"retentionInDays,omitempty"` // 0: events never expire
	KmsKeyID           string            `json:"kmsKeyId,omitempty"`
	Class              string            `json:"logGroupClass"` // STANDARD, INFREQUENT_ACCESS or DELIVERY
	DeletionProtection bool              `json:"deletionProtectionEnabled,omitempty"`
	Tags               map[string]string `json:"tags,omitempty"`
	// StoredBytes is the UTF-8 size of the group's unexpired messages. The
	// store computes it on reads and ignores it on writes.
	StoredBytes int64 `json:"-"`
}

// Clone returns a deep copy.
func (g LogGroup) Clone() LogGroup {
	g.Tags = cloneMap(g.Tags)
	return g
}

// LogStream is a log stream of a log group. The event fields are zero
// until the stream holds an event; the store keeps them.
type LogStream struct {
	Name                string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp int64  `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  int64  `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   int64  `json:"lastIngestionTime,omitempty"`
	// StoredBytes is the UTF-8 size of the stream's messages (AWS reports
	// 0 for streams; cwlogd sums them into the group's storedBytes).
	StoredBytes int64 `json:"storedBytes,omitempty"`
	// LastSeq is the Seq of the stream's newest event (its upload sequence).
	LastSeq int64 `json:"lastSeq,omitempty"`
	// Events counts the stream's stored events.
	Events int64 `json:"events,omitempty"`
}

// LogEvent is one stored log event.
type LogEvent struct {
	// Stream names the event's stream on reads over several streams.
	Stream        string `json:"logStreamName,omitempty"`
	Timestamp     int64  `json:"timestamp"`
	IngestionTime int64  `json:"ingestionTime"`
	Message       string `json:"message"`
	// Seq is assigned by the store when the event is appended: it increases
	// with every append across the whole store, so (Timestamp, Seq) orders
	// events of any streams in time, then ingestion, order.
	Seq int64 `json:"seq,omitempty"`
}

// ResourcePolicy is a CloudWatch Logs resource policy: account-scoped when
// ResourceArn is "", else attached to the log group ResourceArn.
type ResourcePolicy struct {
	Name            string `json:"policyName"`
	Document        string `json:"policyDocument"` // verbatim, as the caller sent it
	LastUpdatedTime int64  `json:"lastUpdatedTime"`
	ResourceArn     string `json:"resourceArn,omitempty"`
	RevisionID      string `json:"revisionId,omitempty"`
}
