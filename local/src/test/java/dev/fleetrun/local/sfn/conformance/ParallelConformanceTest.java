package dev.fleetrun.local.sfn.conformance;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The conformance cases under {@code conformance/parallel/}: each definition runs on the engine and must end as its case says. */
class ParallelConformanceTest {

    @TestFactory
    Stream<DynamicTest> cases() {
        return Conformance.cases("parallel");
    }
}
