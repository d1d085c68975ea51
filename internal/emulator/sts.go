package emulator

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// STS operations, as the query protocol's Action names them.
const (
	OpAssumeRole                = "AssumeRole"
	OpAssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity"
)

// RoleSession is a role session the emulator issued credentials for, with what the caller
// asked for, so tests can check what a provider configuration sends.
type RoleSession struct {
	Action            string
	RoleARN           string
	SessionName       string
	DurationSeconds   int
	ExternalID        string
	Policy            string
	PolicyARNs        []string
	SourceIdentity    string
	Tags              map[string]string
	TransitiveTagKeys []string
	WebIdentityToken  string
	// Caller is the access key that signed the request (empty for web identity).
	Caller string
	// AccessKeyID is the access key issued for the session.
	AccessKeyID string

	secretAccessKey, sessionToken string
}

var (
	roleARNPattern     = regexp.MustCompile(`^arn:aws[a-z\-]*:iam::([0-9]{12}):role/([\w+=,.@\-/]{1,64})$`)
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@\-]{2,64}$`)
)

type stsCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type stsAssumedRoleUser struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

type stsRoleResult struct {
	Credentials     stsCredentials     `xml:"Credentials"`
	AssumedRoleUser stsAssumedRoleUser `xml:"AssumedRoleUser"`
	SourceIdentity  string             `xml:"SourceIdentity,omitempty"`
}

type assumeRoleResponse struct {
	XMLName   xml.Name      `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse"`
	Result    stsRoleResult `xml:"AssumeRoleResult"`
	RequestID string        `xml:"ResponseMetadata>RequestId"`
}

type assumeRoleWithWebIdentityResponse struct {
	XMLName   xml.Name      `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleWithWebIdentityResponse"`
	Result    stsRoleResult `xml:"AssumeRoleWithWebIdentityResult"`
	RequestID string        `xml:"ResponseMetadata>RequestId"`
}

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

// serveSTS answers GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity (AWS query
// protocol). Credentials it issues sign later requests like the configured ones.
func (e *Emulator) serveSTS(w http.ResponseWriter, r *http.Request, body []byte, requestID string) {
	form, err := url.ParseQuery(string(body))
	action := form.Get("Action")
	if err != nil || (action != OpGetCallerIdentity && action != OpAssumeRole && action != OpAssumeRoleWithWebIdentity) {
		writeSTSError(w, requestID, http.StatusBadRequest, "InvalidAction", "only GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity are emulated")
		return
	}
	var caller *RoleSession
	// AssumeRoleWithWebIdentity is the one unsigned call: the token is the credential.
	if action != OpAssumeRoleWithWebIdentity {
		var apiErr *apiError
		if caller, apiErr = e.verifySigV4(r, body, "sts"); apiErr != nil {
			code := "SignatureDoesNotMatch"
			if apiErr.Code == "UnrecognizedClientException" {
				code = "InvalidClientTokenId"
			}
			writeSTSError(w, requestID, http.StatusForbidden, code, apiErr.Message)
			return
		}
	}
	e.countCall(action, nil)
	if action == OpGetCallerIdentity {
		identity := stsCallerIdentity{Arn: "arn:aws:iam::" + e.cfg.AccountID + ":user/emulator", UserID: "AIDAEMULATOR", Account: e.cfg.AccountID, RequestID: requestID}
		if caller != nil {
			account, _ := roleParts(caller.RoleARN)
			identity.Arn, identity.UserID, identity.Account = assumedRoleARN(caller), "AROAEMULATOR:"+caller.SessionName, account
		}
		writeSTSResult(w, requestID, identity)
		return
	}
	session, message := parseRoleRequest(action, form)
	if message != "" {
		writeSTSError(w, requestID, http.StatusBadRequest, "ValidationError", message)
		return
	}
	if caller != nil {
		session.Caller = caller.AccessKeyID
	} else if action == OpAssumeRole {
		session.Caller = e.cfg.AccessKeyID
	}
	session.AccessKeyID, session.secretAccessKey, session.sessionToken = newID("ASIA")[:20], newID(""), newID("session-")
	e.mu.Lock()
	e.sessions = append(e.sessions, session)
	e.mu.Unlock()
	result := stsRoleResult{
		Credentials: stsCredentials{
			AccessKeyID: session.AccessKeyID, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken,
			Expiration: time.Now().Add(time.Duration(session.DurationSeconds) * time.Second).UTC().Format(time.RFC3339),
		},
		AssumedRoleUser: stsAssumedRoleUser{Arn: assumedRoleARN(session), AssumedRoleID: "AROAEMULATOR:" + session.SessionName},
		SourceIdentity:  session.SourceIdentity,
	}
	if action == OpAssumeRole {
		writeSTSResult(w, requestID, assumeRoleResponse{Result: result, RequestID: requestID})
	} else {
		writeSTSResult(w, requestID, assumeRoleWithWebIdentityResponse{Result: result, RequestID: requestID})
	}
}

// parseRoleRequest reads and validates a role request as STS does; the message is empty when
// the request is valid.
func parseRoleRequest(action string, form url.Values) (*RoleSession, string) {
	s := &RoleSession{
		Action: action, RoleARN: form.Get("RoleArn"), SessionName: form.Get("RoleSessionName"), ExternalID: form.Get("ExternalId"),
		Policy: form.Get("Policy"), SourceIdentity: form.Get("SourceIdentity"), WebIdentityToken: form.Get("WebIdentityToken"),
		DurationSeconds: 3600, Tags: map[string]string{},
	}
	if !roleARNPattern.MatchString(s.RoleARN) {
		return nil, fmt.Sprintf("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must be an IAM role ARN", s.RoleARN)
	}
	if !sessionNamePattern.MatchString(s.SessionName) {
		return nil, fmt.Sprintf("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*", s.SessionName)
	}
	if d := form.Get("DurationSeconds"); d != "" {
		seconds, err := strconv.Atoi(d)
		if err != nil || seconds < 900 || seconds > 43200 {
			return nil, fmt.Sprintf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200", d)
		}
		s.DurationSeconds = seconds
	}
	if action == OpAssumeRoleWithWebIdentity && s.WebIdentityToken == "" {
		return nil, "1 validation error detected: Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null"
	}
	if s.SourceIdentity != "" && !sessionNamePattern.MatchString(s.SourceIdentity) {
		return nil, fmt.Sprintf("1 validation error detected: Value '%s' at 'sourceIdentity' failed to satisfy constraint: Member must have length between 2 and 64", s.SourceIdentity)
	}
	for i := 1; form.Has(fmt.Sprintf("PolicyArns.member.%d.arn", i)); i++ {
		s.PolicyARNs = append(s.PolicyARNs, form.Get(fmt.Sprintf("PolicyArns.member.%d.arn", i)))
	}
	for i := 1; form.Has(fmt.Sprintf("Tags.member.%d.Key", i)); i++ {
		key, value := form.Get(fmt.Sprintf("Tags.member.%d.Key", i)), form.Get(fmt.Sprintf("Tags.member.%d.Value", i))
		if len(key) < 1 || len(key) > 128 || len(value) > 256 {
			return nil, fmt.Sprintf("1 validation error detected: tag '%s' must have a key of 1 to 128 characters and a value of at most 256", key)
		}
		s.Tags[key] = value
	}
	if len(s.Tags) > 50 {
		return nil, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
	}
	for i := 1; form.Has(fmt.Sprintf("TransitiveTagKeys.member.%d", i)); i++ {
		s.TransitiveTagKeys = append(s.TransitiveTagKeys, form.Get(fmt.Sprintf("TransitiveTagKeys.member.%d", i)))
	}
	return s, ""
}

// roleParts splits a role ARN into its account and name.
func roleParts(roleARN string) (account, name string) {
	m := roleARNPattern.FindStringSubmatch(roleARN)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

func assumedRoleARN(s *RoleSession) string {
	account, role := roleParts(s.RoleARN)
	return fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, role[strings.LastIndex(role, "/")+1:], s.SessionName)
}

// RoleSessions returns the role sessions issued so far, oldest first.
func (e *Emulator) RoleSessions() []RoleSession {
	e.mu.Lock()
	defer e.mu.Unlock()
	sessions := make([]RoleSession, 0, len(e.sessions))
	for _, s := range e.sessions {
		sessions = append(sessions, *s)
	}
	return sessions
}

func writeSTSResult(w http.ResponseWriter, requestID string, result any) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-RequestId", requestID)
	_ = xml.NewEncoder(w).Encode(result)
}

func writeSTSError(w http.ResponseWriter, requestID string, status int, code, message string) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-RequestId", requestID)
	// AWS puts the code in the body only; the emulator's call log reads it here.
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = xml.NewEncoder(w).Encode(stsErrorResponse{Type: "Sender", Code: code, Message: message, RequestID: requestID})
}
