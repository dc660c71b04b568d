package dev.fleetrun.run;

import dev.fleetrun.aws.Alarms;
import dev.fleetrun.aws.AwsClients;
import dev.fleetrun.aws.Config;
import dev.fleetrun.aws.Lazy;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.aws.ResourceGroupsGateway;
import dev.fleetrun.aws.SsmGateway;
import dev.fleetrun.aws.TaskTokens;
import dev.fleetrun.records.DynamoRunStore;
import dev.fleetrun.records.RunStore;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Everything a handler works with. Lambda's no-argument handler constructors use {@link #shared()},
 * built once per process from the environment; tests build one around their own clients.
 * Collaborators are made on first use, so a function only pays for the clients it calls.
 */
public final class Services {
    private static volatile Services shared;

    private final Config config;
    private final Clock clock;
    private final Supplier<RunStore> store;
    private final Supplier<SsmGateway> ssm;
    private final Supplier<TaskTokens> tokens;
    private final Supplier<Notifier> notifier;
    private final Supplier<Alarms> alarms;
    private final Supplier<ResourceGroupsGateway> resourceGroups;

    public Services(Config config, AwsClients clients, Clock clock) {
        this(config, clock,
                () -> new DynamoRunStore(clients.dynamo(), config.table(), clock, config.retention()),
                () -> new SsmGateway(clients.ssm()),
                () -> new TaskTokens(clients.sfn()),
                () -> new Notifier(clients.events(), clients.sns(), config.eventBus(), config.alertTopicArn()),
                () -> new Alarms(clients.cloudWatch()),
                () -> new ResourceGroupsGateway(clients.resourceGroups()));
    }

    /** Services without Resource Groups: a run that targets a resource group fails with a message saying so. */
    public Services(Config config, Clock clock, Supplier<RunStore> store, Supplier<SsmGateway> ssm,
                    Supplier<TaskTokens> tokens, Supplier<Notifier> notifier, Supplier<Alarms> alarms) {
        this(config, clock, store, ssm, tokens, notifier, alarms, () -> {
            throw new IllegalStateException("these services have no Resource Groups client");
        });
    }

    public Services(Config config, Clock clock, Supplier<RunStore> store, Supplier<SsmGateway> ssm,
                    Supplier<TaskTokens> tokens, Supplier<Notifier> notifier, Supplier<Alarms> alarms,
                    Supplier<ResourceGroupsGateway> resourceGroups) {
        this.config = config;
        this.clock = clock;
        this.store = Lazy.of(store);
        this.ssm = Lazy.of(ssm);
        this.tokens = Lazy.of(tokens);
        this.notifier = Lazy.of(notifier);
        this.alarms = Lazy.of(alarms);
        this.resourceGroups = Lazy.of(resourceGroups);
    }

    /** The process-wide services, from the function's environment. */
    public static Services shared() {
        Services s = shared;
        if (s == null) {
            synchronized (Services.class) {
                s = shared;
                if (s == null) {
                    s = new Services(Config.fromEnvironment(), AwsClients.shared(), Clock.systemUTC());
                    shared = s;
                    Priming.register(s);
                }
            }
        }
        return s;
    }

    public Config config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public RunStore store() {
        return store.get();
    }

    public SsmGateway ssm() {
        return ssm.get();
    }

    public TaskTokens tokens() {
        return tokens.get();
    }

    public Notifier notifier() {
        return notifier.get();
    }

    public Alarms alarms() {
        return alarms.get();
    }

    public ResourceGroupsGateway resourceGroups() {
        return resourceGroups.get();
    }
}
