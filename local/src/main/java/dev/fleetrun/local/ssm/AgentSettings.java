package dev.fleetrun.local.ssm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * What every simulated node's agent shares: the time, the region it reports in, how long a reboot
 * takes (simulated time), the bound on scripts running at once on the host, the PowerShell
 * executable ({@code null} when the host has none), what starts (and confines) the scripts, and where
 * plugins' complete output goes.
 */
record AgentSettings(SsmTime time, String region, Duration rebootDuration, Semaphore scripts, Path pwsh,
                     ScriptLauncher launcher, OutputDestinations output) {
}
