package provider

import (
	"fmt"
	"strings"
)

const importIDForm = "<training_plan_arn>,<training_plan_extension_offering_id>"

// extensionID is the resource ID: the plan ARN and the offering ID identify an extension,
// which has no ARN of its own.
func extensionID(planARN, offeringID string) string {
	return planARN + "," + offeringID
}

// parseExtensionID splits an ID or import ID into the plan ARN and the offering ID, checking
// both the way the attribute validators do.
func parseExtensionID(id string) (planARN, offeringID string, err error) {
	planARN, offeringID, ok := strings.Cut(id, ",")
	if !ok || strings.Contains(offeringID, ",") {
		return "", "", fmt.Errorf("expected an ID of the form %s, got: %q", importIDForm, id)
	}
	planARN, offeringID = strings.TrimSpace(planARN), strings.TrimSpace(offeringID)
	if !validTrainingPlanARN(planARN) {
		return "", "", fmt.Errorf("expected an ID of the form %s; its first part %q is not a training plan ARN (%s)", importIDForm, planARN, trainingPlanARNForm)
	}
	if !validOfferingID(offeringID) {
		return "", "", fmt.Errorf("expected an ID of the form %s; its second part %q is not an offering ID (%s)", importIDForm, offeringID, offeringIDForm)
	}
	return planARN, offeringID, nil
}
