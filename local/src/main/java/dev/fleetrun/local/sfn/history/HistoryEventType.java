package dev.fleetrun.local.sfn.history;

/**
 * The event types of AWS Step Functions' GetExecutionHistory, each with the name of the field that holds its
 * details ({@code null} for events that have none, such as {@code LambdaFunctionStarted}).
 */
public enum HistoryEventType {
    ExecutionStarted("executionStartedEventDetails"),
    ExecutionSucceeded("executionSucceededEventDetails"),
    ExecutionFailed("executionFailedEventDetails"),
    ExecutionAborted("executionAbortedEventDetails"),
    ExecutionTimedOut("executionTimedOutEventDetails"),
    ExecutionRedriven("executionRedrivenEventDetails"),

    PassStateEntered("stateEnteredEventDetails"),
    PassStateExited("stateExitedEventDetails"),
    TaskStateEntered("stateEnteredEventDetails"),
    TaskStateExited("stateExitedEventDetails"),
    TaskStateAborted(null),
    ChoiceStateEntered("stateEnteredEventDetails"),
    ChoiceStateExited("stateExitedEventDetails"),
    WaitStateEntered("stateEnteredEventDetails"),
    WaitStateExited("stateExitedEventDetails"),
    WaitStateAborted(null),
    SucceedStateEntered("stateEnteredEventDetails"),
    SucceedStateExited("stateExitedEventDetails"),
    FailStateEntered("stateEnteredEventDetails"),
    ParallelStateEntered("stateEnteredEventDetails"),
    ParallelStateExited("stateExitedEventDetails"),
    ParallelStateStarted(null),
    ParallelStateSucceeded(null),
    ParallelStateFailed(null),
    ParallelStateAborted(null),
    MapStateEntered("stateEnteredEventDetails"),
    MapStateExited("stateExitedEventDetails"),
    MapStateStarted("mapStateStartedEventDetails"),
    MapStateSucceeded(null),
    MapStateFailed(null),
    MapStateAborted(null),
    MapIterationStarted("mapIterationStartedEventDetails"),
    MapIterationSucceeded("mapIterationSucceededEventDetails"),
    MapIterationFailed("mapIterationFailedEventDetails"),
    MapIterationAborted("mapIterationAbortedEventDetails"),

    TaskScheduled("taskScheduledEventDetails"),
    TaskStarted("taskStartedEventDetails"),
    TaskSubmitted("taskSubmittedEventDetails"),
    TaskSucceeded("taskSucceededEventDetails"),
    TaskFailed("taskFailedEventDetails"),
    TaskTimedOut("taskTimedOutEventDetails"),
    TaskStartFailed("taskStartFailedEventDetails"),
    TaskSubmitFailed("taskSubmitFailedEventDetails"),

    LambdaFunctionScheduled("lambdaFunctionScheduledEventDetails"),
    LambdaFunctionScheduleFailed("lambdaFunctionScheduleFailedEventDetails"),
    LambdaFunctionStarted(null),
    LambdaFunctionStartFailed("lambdaFunctionStartFailedEventDetails"),
    LambdaFunctionSucceeded("lambdaFunctionSucceededEventDetails"),
    LambdaFunctionFailed("lambdaFunctionFailedEventDetails"),
    LambdaFunctionTimedOut("lambdaFunctionTimedOutEventDetails"),

    EvaluationFailed("evaluationFailedEventDetails");

    private final String detailsField;

    HistoryEventType(String detailsField) {
        this.detailsField = detailsField;
    }

    /** The field of a history event that holds this type's details, or {@code null}. */
    public String detailsField() {
        return detailsField;
    }
}
