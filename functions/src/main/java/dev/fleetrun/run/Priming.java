package dev.fleetrun.run;

import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.RunRequestParser;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda snapshots an initialised function, build every AWS client and
 * run the request parser and the JSON mapper over a sample, so the classes they load and the code
 * they warm up are in the snapshot instead of on the first invocation after a restore. No network
 * call is made (a socket opened here would be dead after the restore). Outside a CRaC-capable JVM
 * the registration is a no-op.
 */
final class Priming implements Resource {
    private static final String SAMPLE_REQUEST = """
            {"name": "priming", "instanceIds": ["i-0123456789abcdef0"], "commands": ["uptime"],
             "maxConcurrency": "25%", "maxErrors": "1", "waves": [1, "50%"]}""";

    /** CRaC keeps resources by weak reference: this strong one keeps the hook alive. */
    private static Priming registered;

    private final Services services;

    private Priming(Services services) {
        this.services = services;
    }

    static synchronized void register(Services services) {
        if (registered == null) {
            registered = new Priming(services);
            Core.getGlobalContext().register(registered);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            services.store();
            services.ssm();
            services.tokens();
            services.notifier();
            services.alarms();
            var request = new RunRequestParser(services.config().allowedDocuments()).parse(Json.parse(SAMPLE_REQUEST));
            Json.write(RunState.create(request.name()).cursor(dev.fleetrun.domain.Phase.MAIN, 1).json());
        } catch (RuntimeException e) {
            // Priming only saves time; a failure here must never stop the snapshot.
            System.err.println("fleetrun: priming skipped: " + e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the clients resolve credentials lazily and hold no open connection.
    }
}
