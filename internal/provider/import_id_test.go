package provider

import (
	"strings"
	"testing"
)

const (
	testPlanARN    = "arn:aws:sagemaker:us-west-2:123456789012:training-plan/llm-pretraining"
	testOfferingID = "tpeo-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func TestParseExtensionID(t *testing.T) {
	planARN, offeringID, err := parseExtensionID(testPlanARN + "," + testOfferingID)
	if err != nil || planARN != testPlanARN || offeringID != testOfferingID {
		t.Fatalf("parseExtensionID = %q, %q, %v", planARN, offeringID, err)
	}
	if got := extensionID(planARN, offeringID); got != testPlanARN+","+testOfferingID {
		t.Errorf("extensionID = %q, does not round-trip", got)
	}

	for id, want := range map[string]string{
		"":                                 "expected an ID of the form <training_plan_arn>,<training_plan_extension_offering_id>, got: \"\"",
		testPlanARN:                        "got: \"" + testPlanARN + "\"",
		testOfferingID + "," + testPlanARN: "its first part \"" + testOfferingID + "\" is not a training plan ARN",
		testPlanARN + ",offering-1":        "its second part \"offering-1\" is not an offering ID",
		testPlanARN + "," + testOfferingID + ",x":                            "expected an ID of the form",
		"arn:aws:sagemaker:us-west-2:1234:training-plan/p," + testOfferingID: "is not a training plan ARN",
	} {
		_, _, err := parseExtensionID(id)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseExtensionID(%q) error = %v, want it to contain %q", id, err, want)
		}
	}
}

// FuzzParseExtensionID: whatever an import ID holds, parsing never panics, and what it accepts
// is a valid pair that formats back to the same ID.
func FuzzParseExtensionID(f *testing.F) {
	f.Add(testPlanARN + "," + testOfferingID)
	f.Add(testPlanARN + ", " + testOfferingID)
	f.Add(",")
	f.Add("arn:aws-cn:sagemaker:cn-north-1:123456789012:training-plan/a,tpeo-1")
	f.Fuzz(func(t *testing.T, id string) {
		planARN, offeringID, err := parseExtensionID(id)
		if err != nil {
			if !strings.Contains(err.Error(), importIDForm) {
				t.Fatalf("error %q does not show the expected form", err)
			}
			return
		}
		if !trainingPlanARNPattern.MatchString(planARN) || !offeringIDPattern.MatchString(offeringID) {
			t.Fatalf("accepted invalid parts %q, %q", planARN, offeringID)
		}
		again, offeringAgain, err := parseExtensionID(extensionID(planARN, offeringID))
		if err != nil || again != planARN || offeringAgain != offeringID {
			t.Fatalf("%q does not round-trip: %q, %q, %v", id, again, offeringAgain, err)
		}
	})
}
