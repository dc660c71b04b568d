package dev.fleetrun.local.sfn.runtime;

import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.task.TaskTokens;
import dev.fleetrun.local.sfn.time.EngineClock;
import java.util.random.RandomGenerator;

/**
 * What every execution of one engine shares: the clock, the invokers that run tasks, the task tokens in
 * flight, the random source for retry jitter, and the region and account that ARNs name.
 */
public record EngineServices(EngineClock clock, TaskInvokers invokers, TaskTokens tokens, RandomGenerator random,
                             String region, String accountId) {
}
