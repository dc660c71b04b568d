package dev.fleetrun.local;

import dev.fleetrun.local.sfn.api.StepFunctionsApi;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.engine.StepFunctionsService;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.EngineClock;
import dev.fleetrun.local.sfn.time.ScaledClock;
import dev.fleetrun.local.wire.AwsServer;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The embedded runtime as one process on the loopback interface: an {@link AwsServer} hosting the Step
 * Functions API over the engine, so that the AWS SDKs and the AWS CLI pointed at {@link #endpoint()} work
 * against it. {@link #main} is {@code fleetrun engine}.
 *
 * <p>Task states run through the {@link TaskInvokers} given to the builder; a resource with no invoker fails
 * its task with {@code States.TaskFailed} and a cause that names the resource and what can run. More services
 * (SSM, EventBridge, ...) are hosted by adding them to {@link #server()}.
 *
 * <pre>{@code
 * try (LocalRuntime runtime = LocalRuntime.builder().port(0).invokers(invokers).start()) {
 *     SfnClient sfn = SfnClient.builder().endpointOverride(runtime.endpoint())...;
 * }
 * }</pre>
 */
public final class LocalRuntime implements AutoCloseable {

    private final StepFunctionsService stepFunctions;
    private final StepFunctionsApi stepFunctionsApi;
    private final AwsServer server;

    private LocalRuntime(Builder settings) {
        StepFunctionsEngine.Builder engine = StepFunctionsEngine.builder()
                .clock(settings.clock)
                .invokers(settings.invokers)
                .region(settings.region)
                .accountId(settings.accountId);
        if (settings.onExecutionEnd != null) {
            engine.onExecutionEnd(settings.onExecutionEnd);
        }
        stepFunctions = new StepFunctionsService(engine.build());
        server = AwsServer.start(settings.port);
        stepFunctionsApi = StepFunctionsApi.install(server, stepFunctions);
    }

    /** Settings with defaults: port {@value ServeOptions#DEFAULT_PORT}, the wall clock, no invokers. */
    public static Builder builder() {
        return new Builder();
    }

    /** The URL to give SDK clients as endpointOverride, or to set as AWS_ENDPOINT_URL. */
    public URI endpoint() {
        return server.endpoint();
    }

    /** The port listened on (the real one when 0 was asked for). */
    public int port() {
        return server.port();
    }

    /** The HTTP server, to host more services on it or to watch requests ({@link AwsServer#onRequest}). */
    public AwsServer server() {
        return server;
    }

    /** The Step Functions control plane, for in-process callers. */
    public StepFunctionsService stepFunctions() {
        return stepFunctions;
    }

    /** The Step Functions API service, for faults on demand ({@code throttleNext}, {@code failNext}). */
    public StepFunctionsApi stepFunctionsApi() {
        return stepFunctionsApi;
    }

    /** Stops serving; throws if a service failed while serving (see {@link AwsServer#close()}). */
    @Override
    public void close() {
        server.close();
    }

    /**
     * {@code fleetrun engine [--port N] [--time-scale X]}: serves until interrupted. Prints exactly one line on
     * standard output, {@code fleetrun: ready on http://127.0.0.1:N}, once calls are accepted; everything else
     * goes to standard error. Exits 2 on a wrong argument, 1 when it cannot listen.
     */
    public static void main(String[] args) {
        ServeOptions options;
        try {
            options = ServeOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fleetrun engine: " + e.getMessage());
            System.err.println(ServeOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(ServeOptions.USAGE);
            return;
        }
        LocalRuntime runtime;
        try {
            runtime = builder().port(options.port()).clock(new ScaledClock(options.timeScale())).start();
        } catch (UncheckedIOException e) {
            System.err.println("fleetrun: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.close();
            } catch (RuntimeException e) {
                System.err.println("fleetrun: " + e.getMessage());
                (e.getCause() != null ? e.getCause() : e).printStackTrace();
            }
            System.err.println("fleetrun: stopped");
            stopped.countDown();
        }, "fleetrun-shutdown"));
        System.err.println("fleetrun: Step Functions API (AWSStepFunctions, AWS JSON 1.0)"
                + (options.timeScale() == 1.0 ? "" : "; time runs " + options.timeScale() + "x faster than the wall clock")
                + "; Task states have no invokers yet and fail with States.TaskFailed");
        System.out.println("fleetrun: ready on " + runtime.endpoint());
        System.out.flush();
        awaitUninterruptibly(stopped);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep serving: only the shutdown hook ends this process
            }
        }
    }

    /** Settings of a {@link LocalRuntime}. */
    public static final class Builder {
        private int port = ServeOptions.DEFAULT_PORT;
        private EngineClock clock = new ScaledClock();
        private TaskInvokers invokers = new TaskInvokers();
        private String region = "us-east-1";
        private String accountId = "123456789012";
        private Consumer<Execution> onExecutionEnd;

        private Builder() {
        }

        /** The loopback port; 0 for a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** The engine's clock: a {@link ScaledClock} (default: the wall clock), or a virtual one in tests. */
        public Builder clock(EngineClock value) {
            this.clock = value;
            return this;
        }

        /** What runs Task states: Lambda functions, service integrations. Default: nothing. */
        public Builder invokers(TaskInvokers value) {
            this.invokers = value;
            return this;
        }

        /** The region ARNs name (default us-east-1). */
        public Builder region(String value) {
            this.region = value;
            return this;
        }

        /** The account ARNs name (default 123456789012). */
        public Builder accountId(String value) {
            this.accountId = value;
            return this;
        }

        /** Called on the execution's thread when an execution ends, for status-change events. */
        public Builder onExecutionEnd(Consumer<Execution> value) {
            this.onExecutionEnd = value;
            return this;
        }

        /** Starts listening; throws {@link UncheckedIOException} when the port cannot be had. */
        public LocalRuntime start() {
            return new LocalRuntime(this);
        }
    }
}
