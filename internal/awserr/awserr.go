// Package awserr defines the one error type that crosses the wire: an AWS
// error code, the HTTP status it is sent with, and its message.
//
// It imports nothing from the project.
package awserr

import "net/http"

// Codes cwlogd answers with. They are the AWS error shape names.
const (
	AccessDenied               = "AccessDeniedException"
	Conflict                   = "ConflictException"
	InternalFailure            = "InternalFailure"
	InvalidParameter           = "InvalidParameterException"
	MissingAuthenticationToken = "MissingAuthenticationTokenException"
	RequestEntityTooLarge      = "RequestEntityTooLargeException"
	RequestTimeout             = "RequestTimeoutException"
	ResourceAlreadyExists      = "ResourceAlreadyExistsException"
	ResourceNotFound           = "ResourceNotFoundException"
	Serialization              = "SerializationException"
	ServiceQuotaExceeded       = "ServiceQuotaExceededException"
	ServiceUnavailable         = "ServiceUnavailableException"
	Throttling                 = "ThrottlingException"
	TooManyTags                = "TooManyTagsException"
	UnknownOperation           = "UnknownOperationException"
	Validation                 = "ValidationException"
	IncompleteSignature        = "IncompleteSignatureException"
	InvalidSignature           = "InvalidSignatureException"
	UnrecognizedClient         = "UnrecognizedClientException"
	LimitExceeded              = "LimitExceededException"
	OperationAborted           = "OperationAbortedException"
	DataAlreadyAccepted        = "DataAlreadyAcceptedException"
	InvalidSequenceToken       = "InvalidSequenceTokenException"
	UnsupportedMediaType       = "UnsupportedMediaTypeException"
)

// Error is an AWS error as sent to clients: {"__type": Code, "message": Message}
// with HTTP status Status.
type Error struct {
	Code    string
	Status  int
	Message string
	// Extra holds members some error shapes carry besides the message,
	// such as TooManyTagsException's resourceName.
	Extra map[string]string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// New returns a client error (HTTP 400) unless code is a server fault.
func New(code, message string) *Error {
	return &Error{Code: code, Status: statusOf(code), Message: message}
}

func statusOf(code string) int {
	switch code {
	case InternalFailure, ServiceUnavailable:
		return http.StatusInternalServerError
	case RequestEntityTooLarge:
		return http.StatusRequestEntityTooLarge
	case RequestTimeout:
		return http.StatusRequestTimeout
	case UnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusBadRequest
}

// Internal is the answer to an unexpected failure; details go to the log only.
func Internal() *Error {
	return New(InternalFailure, "The server encountered an internal error trying to fulfill the request.")
}
