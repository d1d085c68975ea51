package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// epochTime travels as epoch seconds, a JSON number that may be fractional, as in AWS JSON 1.1.
type epochTime time.Time

func (t epochTime) MarshalJSON() ([]byte, error) {
	seconds := float64(time.Time(t).UnixMilli()) / 1000
	return []byte(strconv.FormatFloat(seconds, 'f', -1, 64)), nil
}

func (t *epochTime) UnmarshalJSON(b []byte) error {
	seconds, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("timestamp %s is not epoch seconds", b)
	}
	whole, frac := math.Modf(seconds)
	*t = epochTime(time.Unix(int64(whole), int64(frac*1e9)).UTC())
	return nil
}

func timePtr(t time.Time) *epochTime {
	e := epochTime(t)
	return &e
}

type searchTrainingPlanOfferingsInput struct {
	TrainingPlanArn *string `json:"TrainingPlanArn"`
	DurationHours   *int64  `json:"DurationHours"`
}

type searchTrainingPlanOfferingsOutput struct {
	TrainingPlanOfferings          []struct{}          `json:"TrainingPlanOfferings"`
	TrainingPlanExtensionOfferings []extensionOffering `json:"TrainingPlanExtensionOfferings"`
}

type extensionOffering struct {
	TrainingPlanExtensionOfferingId string     `json:"TrainingPlanExtensionOfferingId"`
	AvailabilityZone                string     `json:"AvailabilityZone,omitempty"`
	StartDate                       *epochTime `json:"StartDate,omitempty"`
	EndDate                         *epochTime `json:"EndDate,omitempty"`
	DurationHours                   int32      `json:"DurationHours"`
	UpfrontFee                      string     `json:"UpfrontFee,omitempty"`
	CurrencyCode                    string     `json:"CurrencyCode,omitempty"`
}

type extendTrainingPlanInput struct {
	TrainingPlanExtensionOfferingId *string `json:"TrainingPlanExtensionOfferingId"`
}

type extensionsOutput struct {
	TrainingPlanExtensions []extensionRecord `json:"TrainingPlanExtensions"`
	NextToken              string            `json:"NextToken,omitempty"`
}

type extensionRecord struct {
	TrainingPlanExtensionOfferingId string     `json:"TrainingPlanExtensionOfferingId"`
	ExtendedAt                      *epochTime `json:"ExtendedAt,omitempty"`
	StartDate                       *epochTime `json:"StartDate,omitempty"`
	EndDate                         *epochTime `json:"EndDate,omitempty"`
	Status                          string     `json:"Status,omitempty"`
	PaymentStatus                   string     `json:"PaymentStatus,omitempty"`
	AvailabilityZone                string     `json:"AvailabilityZone,omitempty"`
	AvailabilityZoneId              string     `json:"AvailabilityZoneId,omitempty"`
	DurationHours                   int32      `json:"DurationHours"`
	UpfrontFee                      string     `json:"UpfrontFee,omitempty"`
	CurrencyCode                    string     `json:"CurrencyCode,omitempty"`
}

type describeTrainingPlanExtensionHistoryInput struct {
	TrainingPlanArn *string `json:"TrainingPlanArn"`
	MaxResults      *int64  `json:"MaxResults"`
	NextToken       *string `json:"NextToken"`
}

type describeTrainingPlanInput struct {
	TrainingPlanName *string `json:"TrainingPlanName"`
}

type describeTrainingPlanOutput struct {
	TrainingPlanArn        string     `json:"TrainingPlanArn"`
	TrainingPlanName       string     `json:"TrainingPlanName"`
	Status                 string     `json:"Status"`
	StatusMessage          string     `json:"StatusMessage,omitempty"`
	StartTime              *epochTime `json:"StartTime,omitempty"`
	EndTime                *epochTime `json:"EndTime,omitempty"`
	DurationHours          int64      `json:"DurationHours"`
	DurationMinutes        int64      `json:"DurationMinutes"`
	UpfrontFee             string     `json:"UpfrontFee,omitempty"`
	CurrencyCode           string     `json:"CurrencyCode,omitempty"`
	TotalInstanceCount     int32      `json:"TotalInstanceCount"`
	AvailableInstanceCount int32      `json:"AvailableInstanceCount"`
	InUseInstanceCount     int32      `json:"InUseInstanceCount"`
	UnhealthyInstanceCount int32      `json:"UnhealthyInstanceCount"`
	TargetResources        []string   `json:"TargetResources"`
}

// apiError is an error the emulator answers with, in the shape AWS JSON 1.1 clients decode.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func validationError(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "ValidationException", Message: fmt.Sprintf(format, args...)}
}

func notFoundError(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "ResourceNotFound", Message: fmt.Sprintf(format, args...)}
}

var (
	errThrottled = &apiError{Status: http.StatusBadRequest, Code: "ThrottlingException", Message: "Rate exceeded"}
	errInternal  = &apiError{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "An internal error occurred. Try again."}
)

func writeJSON(w http.ResponseWriter, requestID string, body any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", requestID)
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(body)
}

func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", requestID)
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
}

// decodeRequest decodes an operation's JSON body strictly: AWS rejects unknown members too.
func decodeRequest(body []byte, into any) *apiError {
	if len(body) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return &apiError{Status: http.StatusBadRequest, Code: "SerializationException", Message: err.Error()}
	}
	return nil
}
