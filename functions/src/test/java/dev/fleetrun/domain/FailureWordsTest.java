package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Workflow errors as a Catch records them, put into words without class names, Lambda error JSON or request ids. */
class FailureWordsTest {

    private static String lambdaError(String type, String message) {
        return "{\"errorMessage\":\"" + message + "\",\"errorType\":\"" + type + "\",\"stackTrace\":[\"at x.y.Z(Z.java:1)\"]}";
    }

    @Test
    void anSdkThrottleNamesTheServiceAndWhatToDo() {
        String type = "software.amazon.awssdk.services.ssm.model.ThrottlingException";
        String words = FailureWords.describe(type, lambdaError(type, "Rate exceeded (Service: Ssm, Status Code: 400, Request ID: 1a2b)"));
        assertEquals("SSM throttled fleetrun's calls (ThrottlingException) for longer than the retries last; wait for the"
                + " load to drop, then run the nodes that did not run again", words);
    }

    @Test
    void anAccessDeniedSaysWhichPermissionIsMissingWhere() {
        String type = "software.amazon.awssdk.services.dynamodb.model.DynamoDbException";
        String words = FailureWords.describe("States.TaskFailed", lambdaError("software.amazon.awssdk.services.sns.model.AuthorizationErrorException",
                "User is not authorized (Service: Sns, Status Code: 403, Request ID: 9)"));
        assertEquals("SNS refused fleetrun's call (AuthorizationErrorException: User is not authorized); the function's role"
                + " or the credentials lack a permission: check the stack's IAM policies", words);
        assertFalse(FailureWords.describe(type, lambdaError(type, "boom")).contains("software."));
    }

    @Test
    void lambdaAndStatesErrorsAndPlainJavaExceptionsLoseTheirPackages() {
        assertEquals("Lambda could not run a fleetrun function (Lambda.ServiceException: Lambda is unavailable) after its"
                + " retries; check the function's log in CloudWatch Logs", FailureWords.describe("Lambda.ServiceException",
                "Lambda is unavailable"));
        assertEquals("a step took longer than its timeout (States.Timeout)", FailureWords.describe("States.Timeout", null));
        assertEquals("IllegalStateException: run id r is taken by execution x", FailureWords.describe(
                "java.lang.IllegalStateException", lambdaError("java.lang.IllegalStateException", "run id r is taken by execution x")));
        assertEquals("the lease ran out", FailureWords.describe("Fleetrun.LeaseConflict", "the lease ran out"));
        assertEquals("the workflow failed", FailureWords.describe(null));
    }

    @Test
    void aLongOrMultiLineMessageBecomesOneShortLine() {
        String words = FailureWords.describe("java.lang.RuntimeException", "first line\nsecond line " + "x".repeat(1_000));
        assertEquals("RuntimeException: first line", words);
        String longOne = FailureWords.describe("java.lang.RuntimeException", "y".repeat(1_000));
        assertEquals(FailureWords.MAX_LENGTH, longOne.length());
    }
}
