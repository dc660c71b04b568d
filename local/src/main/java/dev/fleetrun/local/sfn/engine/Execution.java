package dev.fleetrun.local.sfn.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Definition;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.ExecutionCancelled;
import dev.fleetrun.local.sfn.errors.StatesTimeout;
import dev.fleetrun.local.sfn.history.ExecutionHistory;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import dev.fleetrun.local.sfn.runtime.BranchContext;
import dev.fleetrun.local.sfn.runtime.CancellationScope;
import dev.fleetrun.local.sfn.runtime.ExecutionContext;
import dev.fleetrun.local.sfn.runtime.ExecutionInfo;
import dev.fleetrun.local.sfn.runtime.Journal;
import dev.fleetrun.local.sfn.runtime.Variables;
import dev.fleetrun.local.sfn.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of a definition: what DescribeExecution and GetExecutionHistory report (status, input, output,
 * error and cause, start and stop dates, events). It runs on a thread of the engine's clock from the moment
 * it is started; {@link #stop} aborts it, the definition's {@code TimeoutSeconds} times it out.
 */
public final class Execution {

    private final ExecutionInfo info;
    private final Definition definition;
    private final ExecutionHistory history = new ExecutionHistory();
    private final EngineClock engineClock;
    private volatile CancellationScope scope;
    private volatile CountDownLatch finished = new CountDownLatch(1);
    private final Consumer<Execution> onEnd;
    /** The root variables, kept from one attempt to the next as the states left them. */
    private final Variables variables = Variables.root();
    /** Where the last attempt got to: what a redrive resumes from. */
    private volatile Journal journal;
    private volatile int redriveCount;
    private volatile Instant redriveDate;
    private volatile ExecutionStatus status = ExecutionStatus.RUNNING;
    private volatile JsonNode output;
    private volatile String error;
    private volatile String cause;
    private volatile Instant stopDate;
    private volatile boolean timedOut;
    private volatile String stopError;
    private volatile String stopCause;

    Execution(ExecutionInfo info, Definition definition, Consumer<Execution> onEnd, EngineClock clock) {
        this.engineClock = clock;
        this.scope = new CancellationScope(clock);
        this.info = info;
        this.definition = definition;
        this.onEnd = onEnd;
    }

    void start(dev.fleetrun.local.sfn.runtime.EngineServices services) {
        EngineClock clock = services.clock();
        ExecutionContext context = new ExecutionContext(services, info, history, scope);
        Journal first = new Journal();
        journal = first;
        clock.start("execution-" + info.name(), () -> run(context, clock, first, null));
    }

    /**
     * RedriveExecution: runs the ended execution again from the state that did not succeed, with the input it
     * had there (the states before it are not run again; a Parallel or Map state runs only the branches and
     * iterations that did not succeed). The caller (the control plane) has checked that it may be redriven.
     *
     * @return when it was redriven
     */
    synchronized Instant redrive(dev.fleetrun.local.sfn.runtime.EngineServices services) {
        if (!status.isTerminal() || status == ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("execution " + info.name() + " is " + status);
        }
        EngineClock clock = services.clock();
        Journal before = journal;
        Journal next = new Journal();
        Instant now = clock.now();
        scope = new CancellationScope(clock);
        finished = new CountDownLatch(1);
        redriveCount++;
        redriveDate = now;
        output = null;
        error = null;
        cause = null;
        stopDate = null;
        timedOut = false;
        stopError = null;
        stopCause = null;
        journal = next;
        status = ExecutionStatus.RUNNING;
        ExecutionContext context = new ExecutionContext(services, info, history, scope, redriveCount, now);
        clock.start("execution-" + info.name() + "-redrive-" + redriveCount, () -> run(context, clock, next, before));
        return now;
    }

    private void run(ExecutionContext context, EngineClock clock, Journal attempt, Journal resumeFrom) {
        CancellationScope scope = context.scope();
        CountDownLatch done = finished;
        scope.enter();
        EngineClock.Timer timer = null;
        try {
            BranchContext branch = new BranchContext(context, scope, history.size(), variables, attempt, resumeFrom);
            if (resumeFrom == null) {
                Map<String, Object> started = new LinkedHashMap<>();
                started.put("input", info.input());
                started.put("roleArn", info.roleArn());
                branch.emit(HistoryEventType.ExecutionStarted, started);
            } else {
                branch.emit(HistoryEventType.ExecutionRedriven, Map.of("redriveCount", context.redriveCount()));
            }
            Instant attemptStart = resumeFrom == null ? info.startTime() : context.redriveTime();
            if (definition.timeoutSeconds() != null) {
                timer = clock.schedule("timeout-" + info.name(), attemptStart.plusSeconds(definition.timeoutSeconds()), () -> {
                    timedOut = true;
                    scope.cancel("the execution timed out");
                });
            }
            try {
                JsonNode result = definition.machine().run(resumeFrom == null ? info.input() : resumeFrom.input(), branch);
                output = result;
                branch.emit(HistoryEventType.ExecutionSucceeded, Map.of("output", result));
                end(ExecutionStatus.SUCCEEDED, null, null, clock);
            } catch (AslError failure) {
                Map<String, Object> details = errorDetails(failure.name(), failure.errorCause());
                branch.emit(HistoryEventType.ExecutionFailed, details);
                end(ExecutionStatus.FAILED, failure.name(), failure.errorCause(), clock);
            } catch (ExecutionCancelled cancelled) {
                if (timedOut) {
                    String why = "The execution ran longer than the state machine's TimeoutSeconds ("
                            + definition.timeoutSeconds() + " s).";
                    branch.emit(HistoryEventType.ExecutionTimedOut, errorDetails(StatesTimeout.NAME, why));
                    end(ExecutionStatus.TIMED_OUT, StatesTimeout.NAME, why, clock);
                } else {
                    branch.emit(HistoryEventType.ExecutionAborted, errorDetails(stopError, stopCause));
                    end(ExecutionStatus.ABORTED, stopError, stopCause, clock);
                }
            } catch (RuntimeException bug) {
                String why = "The engine failed: " + bug;
                branch.emit(HistoryEventType.ExecutionFailed, errorDetails("States.Runtime", why));
                end(ExecutionStatus.FAILED, "States.Runtime", why, clock);
            }
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            scope.leave();
            Thread.interrupted();
            done.countDown();
            if (onEnd != null) {
                onEnd.accept(this);
            }
        }
    }

    private static Map<String, Object> errorDetails(String errorName, String errorCause) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (errorName != null) {
            details.put("error", errorName);
        }
        if (errorCause != null) {
            details.put("cause", errorCause);
        }
        return details;
    }

    private void end(ExecutionStatus finalStatus, String errorName, String errorCause, EngineClock clock) {
        error = errorName;
        cause = errorCause;
        stopDate = clock.now();
        status = finalStatus;
    }

    /**
     * StopExecution: aborts a running execution with an optional error and cause, and waits until it has
     * stopped. Stopping an execution that has ended does nothing.
     */
    public void stop(String stopErrorName, String stopErrorCause) {
        if (status.isTerminal()) {
            return;
        }
        this.stopError = stopErrorName;
        this.stopCause = stopErrorCause;
        CountDownLatch done = finished;
        scope.cancel("the execution was stopped");
        awaitUninterruptibly(done);
    }

    private static void awaitUninterruptibly(CountDownLatch done) {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits (in real time, at most {@code timeout}) until the execution has ended; returns whether it has.
     * Not for engine threads.
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The execution's ARN. */
    public String arn() {
        return info.executionArn();
    }

    /** The execution's name. */
    public String name() {
        return info.name();
    }

    /** The facts of the execution (state machine, role, start time, input). */
    public ExecutionInfo info() {
        return info;
    }

    /** The definition it runs. */
    public Definition definition() {
        return definition;
    }

    /** The status now. */
    public ExecutionStatus status() {
        return status;
    }

    /** The output of a SUCCEEDED execution, else {@code null}. */
    public JsonNode output() {
        return output;
    }

    /** The error of a FAILED, TIMED_OUT or ABORTED execution, or {@code null}. */
    public String error() {
        return error;
    }

    /** The cause that goes with {@link #error()}, or {@code null}. */
    public String cause() {
        return cause;
    }

    /** When it started. */
    public Instant startDate() {
        return info.startTime();
    }

    /** When it ended, or {@code null} while it runs. */
    public Instant stopDate() {
        return stopDate;
    }

    /** How many times it was redriven. */
    public int redriveCount() {
        return redriveCount;
    }

    /** When it was last redriven, or {@code null}. */
    public Instant redriveDate() {
        return redriveDate;
    }

    /** Its history so far. */
    public ExecutionHistory history() {
        return history;
    }
}
