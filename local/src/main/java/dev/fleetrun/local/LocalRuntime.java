package dev.fleetrun.local;

import dev.fleetrun.local.sfn.api.StepFunctionsApi;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.engine.StepFunctionsService;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.ScaledClock;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.Callers;
import dev.fleetrun.local.wire.LocalCredentials;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded runtime as one process on the loopback interface: an {@link AwsServer} hosting the Step
 * Functions API over the engine, so that the AWS SDKs and the AWS CLI pointed at {@link #endpoint()} work
 * against it. {@link #main} is {@code fleetrun engine}.
 *
 * <p>Task states run through the {@link TaskInvokers} given to the engine; a resource with no invoker fails
 * its task with {@code States.TaskFailed} and a cause that names the resource and what can run. More services
 * (SSM, EventBridge, ...) are hosted by adding them to {@link #server()}.
 *
 * <pre>{@code
 * try (LocalRuntime runtime = LocalRuntime.start(0, StepFunctionsEngine.builder().invokers(invokers).build())) {
 *     SfnClient sfn = SfnClient.builder().endpointOverride(runtime.endpoint())...;
 * }
 * }</pre>
 */
public final class LocalRuntime implements AutoCloseable {

    private final StepFunctionsService stepFunctions;
    private final StepFunctionsApi stepFunctionsApi;
    private final AwsServer server;

    private LocalRuntime(int port, StepFunctionsEngine engine, Callers callers) {
        stepFunctions = new StepFunctionsService(engine);
        server = AwsServer.start(port, callers);
        stepFunctionsApi = StepFunctionsApi.install(server, stepFunctions);
    }

    /**
     * Serves {@code engine} (built with {@link StepFunctionsEngine#builder()}: its clock, invokers, region and
     * account) on loopback {@code port}, 0 for a free one; throws {@link UncheckedIOException} when the port
     * cannot be had.
     */
    public static LocalRuntime start(int port, StepFunctionsEngine engine) {
        return start(port, engine, Callers.signedWith(LocalCredentials.generate()));
    }

    /** As {@link #start(int, StepFunctionsEngine)}, answering only {@code callers} (see {@link Callers}). */
    public static LocalRuntime start(int port, StepFunctionsEngine engine, Callers callers) {
        return new LocalRuntime(port, engine, callers);
    }

    /** The credentials callers sign their requests with. */
    public LocalCredentials credentials() {
        return server.credentials();
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
            Callers callers = FleetrunHome.callers(options.anyCredentials(), warning -> System.err.println("fleetrun: " + warning));
            runtime = start(options.port(), StepFunctionsEngine.builder().clock(new ScaledClock(options.timeScale())).build(), callers);
            System.err.println(FleetrunHome.callersLine(callers));
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
}
