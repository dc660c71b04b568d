package dev.fleetrun.catalog.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Checks a run request the way the start function will, so a job that could never start fails the synth instead of
 * failing every night at 3 a.m.
 */
@FunctionalInterface
public interface RunRequestCheck {

    /** What is wrong with {@code request}, each as {@code field: reason}; empty when it would be accepted. */
    List<String> problems(ObjectNode request);
}
