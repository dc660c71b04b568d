package dev.fleetrun.local.sfn.states;

import dev.fleetrun.local.sfn.history.HistoryEventType;

/** The eight state types, with the history events that mark entering, leaving and aborting each. */
public enum StateType {
    Pass(HistoryEventType.PassStateEntered, HistoryEventType.PassStateExited, null),
    Task(HistoryEventType.TaskStateEntered, HistoryEventType.TaskStateExited, HistoryEventType.TaskStateAborted),
    Choice(HistoryEventType.ChoiceStateEntered, HistoryEventType.ChoiceStateExited, null),
    Wait(HistoryEventType.WaitStateEntered, HistoryEventType.WaitStateExited, HistoryEventType.WaitStateAborted),
    Succeed(HistoryEventType.SucceedStateEntered, HistoryEventType.SucceedStateExited, null),
    Fail(HistoryEventType.FailStateEntered, null, null),
    Parallel(HistoryEventType.ParallelStateEntered, HistoryEventType.ParallelStateExited, HistoryEventType.ParallelStateAborted),
    Map(HistoryEventType.MapStateEntered, HistoryEventType.MapStateExited, HistoryEventType.MapStateAborted);

    private final HistoryEventType entered;
    private final HistoryEventType exited;
    private final HistoryEventType aborted;

    StateType(HistoryEventType entered, HistoryEventType exited, HistoryEventType aborted) {
        this.entered = entered;
        this.exited = exited;
        this.aborted = aborted;
    }

    /** The event recorded when a state of this type is entered. */
    public HistoryEventType entered() {
        return entered;
    }

    /** The event recorded when it is left normally, or {@code null} (Fail). */
    public HistoryEventType exited() {
        return exited;
    }

    /** The event recorded when it is stopped from outside, or {@code null}. */
    public HistoryEventType aborted() {
        return aborted;
    }
}
