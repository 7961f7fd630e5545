package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/cwlogd/cwlogd/internal/model"
)

// The doc column holds each record as JSON in the shapes below. Their field
// names are the on-disk format: they must not follow renames of the model's
// Go fields. Every document carries "format"; a change that old binaries
// could misread bumps formatVersion, and decoding refuses a format it does not
// know instead of silently dropping fields.
//
// Maps and slices are encoded without omitempty so that nil ("none") and
// empty survive a round trip distinctly, as they do in the memory store.
const formatVersion = 1

type sourceDoc struct {
	Format      int               `json:"format"`
	Name        string            `json:"name"`
	Arn         string            `json:"arn"`
	ResourceArn string            `json:"resourceArn"`
	Service     string            `json:"service"`
	LogType     string            `json:"logType"`
	Tags        map[string]string `json:"tags"`
	Config      map[string]string `json:"config"`
}

type destinationDoc struct {
	Format       int               `json:"format"`
	Name         string            `json:"name"`
	Arn          string            `json:"arn"`
	Type         string            `json:"type"`
	OutputFormat string            `json:"outputFormat"`
	ResourceArn  string            `json:"resourceArn"`
	Tags         map[string]string `json:"tags"`
	Policy       string            `json:"policy"`
}

type deliveryDoc struct {
	Format          int               `json:"format"`
	ID              string            `json:"id"`
	Arn             string            `json:"arn"`
	SourceName      string            `json:"sourceName"`
	DestinationArn  string            `json:"destinationArn"`
	DestinationType string            `json:"destinationType"`
	RecordFields    []string          `json:"recordFields"`
	FieldDelimiter  *string           `json:"fieldDelimiter"`
	S3              *s3Doc            `json:"s3"`
	Tags            map[string]string `json:"tags"`
}

type s3Doc struct {
	SuffixPath string `json:"suffixPath"`
	Hive       bool   `json:"hive"`
}

func encodeSource(v model.DeliverySource) (string, error) {
	return encode(sourceDoc{
		Format: formatVersion, Name: v.Name, Arn: v.Arn, ResourceArn: v.ResourceArn,
		Service: v.Service, LogType: v.LogType, Tags: v.Tags, Config: v.Config,
	})
}

func decodeSource(doc string) (model.DeliverySource, error) {
	var d sourceDoc
	if err := decode(doc, &d, &d.Format); err != nil {
		return model.DeliverySource{}, err
	}
	return model.DeliverySource{
		Name: d.Name, Arn: d.Arn, ResourceArn: d.ResourceArn,
		Service: d.Service, LogType: d.LogType, Tags: d.Tags, Config: d.Config,
	}, nil
}

func encodeDestination(v model.DeliveryDestination) (string, error) {
	return encode(destinationDoc{
		Format: formatVersion, Name: v.Name, Arn: v.Arn, Type: v.Type, OutputFormat: v.OutputFormat,
		ResourceArn: v.ResourceArn, Tags: v.Tags, Policy: v.Policy,
	})
}

func decodeDestination(doc string) (model.DeliveryDestination, error) {
	var d destinationDoc
	if err := decode(doc, &d, &d.Format); err != nil {
		return model.DeliveryDestination{}, err
	}
	return model.DeliveryDestination{
		Name: d.Name, Arn: d.Arn, Type: d.Type, OutputFormat: d.OutputFormat,
		ResourceArn: d.ResourceArn, Tags: d.Tags, Policy: d.Policy,
	}, nil
}

func encodeDelivery(v model.Delivery) (string, error) {
	d := deliveryDoc{
		Format: formatVersion, ID: v.ID, Arn: v.Arn, SourceName: v.SourceName,
		DestinationArn: v.DestinationArn, DestinationType: v.DestinationType,
		RecordFields: v.RecordFields, FieldDelimiter: v.FieldDelimiter, Tags: v.Tags,
	}
	if v.S3 != nil {
		d.S3 = &s3Doc{SuffixPath: v.S3.SuffixPath, Hive: v.S3.Hive}
	}
	return encode(d)
}

func decodeDelivery(doc string) (model.Delivery, error) {
	var d deliveryDoc
	if err := decode(doc, &d, &d.Format); err != nil {
		return model.Delivery{}, err
	}
	v := model.Delivery{
		ID: d.ID, Arn: d.Arn, SourceName: d.SourceName,
		DestinationArn: d.DestinationArn, DestinationType: d.DestinationType,
		RecordFields: d.RecordFields, FieldDelimiter: d.FieldDelimiter, Tags: d.Tags,
	}
	if d.S3 != nil {
		v.S3 = &model.S3Config{SuffixPath: d.S3.SuffixPath, Hive: d.S3.Hive}
	}
	return v, nil
}

func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode record: %w", err)
	}
	return string(b), nil
}

// decode unmarshals doc into v and checks the format *format it read.
func decode(doc string, v any, format *int) error {
	if err := json.Unmarshal([]byte(doc), v); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	if *format < 1 || *format > formatVersion {
		return fmt.Errorf("decode record: format %d is not supported (this cwlogd reads 1 to %d)", *format, formatVersion)
	}
	return nil
}

// logGroupDoc is a log group's doc. StoredBytes is not kept: the stores
// compute it from the group's streams.
type logGroupDoc struct {
	Format             int               `json:"format"`
	Name               string            `json:"name"`
	Arn                string            `json:"arn"`
	CreationTime       int64             `json:"creationTime"`
	RetentionInDays    int               `json:"retentionInDays"`
	KmsKeyID           string            `json:"kmsKeyId"`
	Class              string            `json:"class"`
	DeletionProtection bool              `json:"deletionProtection"`
	Tags               map[string]string `json:"tags"`
}

type resourcePolicyDoc struct {
	Format          int    `json:"format"`
	Name            string `json:"name"`
	Document        string `json:"document"`
	LastUpdatedTime int64  `json:"lastUpdatedTime"`
	ResourceArn     string `json:"resourceArn"`
	RevisionID      string `json:"revisionId"`
}

func encodeLogGroup(v model.LogGroup) (string, error) {
	return encode(logGroupDoc{
		Format: formatVersion, Name: v.Name, Arn: v.Arn, CreationTime: v.CreationTime,
		RetentionInDays: v.RetentionInDays, KmsKeyID: v.KmsKeyID, Class: v.Class,
		DeletionProtection: v.DeletionProtection, Tags: v.Tags,
	})
}

func decodeLogGroup(doc string) (model.LogGroup, error) {
	var d logGroupDoc
	if err := decode(doc, &d, &d.Format); err != nil {
		return model.LogGroup{}, err
	}
	return model.LogGroup{
		Name: d.Name, Arn: d.Arn, CreationTime: d.CreationTime, RetentionInDays: d.RetentionInDays,
		KmsKeyID: d.KmsKeyID, Class: d.Class, DeletionProtection: d.DeletionProtection, Tags: d.Tags,
	}, nil
}

func encodeResourcePolicy(v model.ResourcePolicy) (string, error) {
	return encode(resourcePolicyDoc{
		Format: formatVersion, Name: v.Name, Document: v.Document, LastUpdatedTime: v.LastUpdatedTime,
		ResourceArn: v.ResourceArn, RevisionID: v.RevisionID,
	})
}

func decodeResourcePolicy(doc string) (model.ResourcePolicy, error) {
	var d resourcePolicyDoc
	if err := decode(doc, &d, &d.Format); err != nil {
		return model.ResourcePolicy{}, err
	}
	return model.ResourcePolicy{
		Name: d.Name, Document: d.Document, LastUpdatedTime: d.LastUpdatedTime,
		ResourceArn: d.ResourceArn, RevisionID: d.RevisionID,
	}, nil
}
