package emulator

import (
	"encoding/xml"
	"net/http"
	"net/url"
)

type stsCallerIdentity struct {
	XMLName   xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetCallerIdentityResponse"`
	Arn       string   `xml:"GetCallerIdentityResult>Arn"`
	UserID    string   `xml:"GetCallerIdentityResult>UserId"`
	Account   string   `xml:"GetCallerIdentityResult>Account"`
	RequestID string   `xml:"ResponseMetadata>RequestId"`
}

type stsErrorResponse struct {
	XMLName   xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// serveSTS answers GetCallerIdentity (AWS query protocol), so providers can keep validating
// credentials against the emulator.
func (e *Emulator) serveSTS(w http.ResponseWriter, r *http.Request, body []byte, requestID string) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Action") != OpGetCallerIdentity {
		writeSTSError(w, requestID, http.StatusBadRequest, "InvalidAction", "only GetCallerIdentity is emulated")
		return
	}
	if apiErr := e.verifySigV4(r, body, "sts"); apiErr != nil {
		code := "SignatureDoesNotMatch"
		if apiErr.Code == "UnrecognizedClientException" {
			code = "InvalidClientTokenId"
		}
		writeSTSError(w, requestID, http.StatusForbidden, code, apiErr.Message)
		return
	}
	e.countCall(OpGetCallerIdentity)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-RequestId", requestID)
	_ = xml.NewEncoder(w).Encode(stsCallerIdentity{
		Arn:       "arn:aws:iam::" + e.cfg.AccountID + ":user/emulator",
		UserID:    "AIDAEMULATOR",
		Account:   e.cfg.AccountID,
		RequestID: requestID,
	})
}

func writeSTSError(w http.ResponseWriter, requestID string, status int, code, message string) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-RequestId", requestID)
	w.WriteHeader(status)
	_ = xml.NewEncoder(w).Encode(stsErrorResponse{Type: "Sender", Code: code, Message: message, RequestID: requestID})
}
