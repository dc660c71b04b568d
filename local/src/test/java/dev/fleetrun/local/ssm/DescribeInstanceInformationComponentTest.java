package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvalidFilterKeyException;
import software.amazon.awssdk.services.ssm.model.PingStatus;

/** DescribeInstanceInformation reports the simulated fleet, with SSM's filters and paging. */
class DescribeInstanceInformationComponentTest {
    private SsmSimulation sim;

    @BeforeEach
    void start() {
        Fleet fleet = Fleet.generate(1, 3, Map.of("Environment", "staging", "Role", "web"), NodeProfile.HEALTHY)
                .plus(Fleet.generate(4, 2, Map.of("Environment", "production", "Role", "web"), NodeProfile.HEALTHY))
                .plus(Fleet.of(List.of(
                        FleetNode.linux(id(6), Map.of("Environment", "staging"), NodeProfile.offlineNode()),
                        new FleetNode(id(7), "Windows", "Online", Map.of("Role", "ad"), NodeProfile.HEALTHY))))
                .plus(Fleet.generate(8, 5, Map.of(), NodeProfile.HEALTHY));
        sim = SsmSimulation.start(fleet);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private List<String> ids(InstanceInformationStringFilter... filters) {
        return sim.client.describeInstanceInformationPaginator(r -> r.filters(filters).maxResults(50))
                .instanceInformationList().stream().map(InstanceInformation::instanceId).toList();
    }

    private static InstanceInformationStringFilter filter(String key, String... values) {
        return InstanceInformationStringFilter.builder().key(key).values(values).build();
    }

    @Test
    void filtersByTagTagKeyPingStatusPlatformAndId() {
        assertEquals(List.of(id(1), id(2), id(3), id(6)), ids(filter("tag:Environment", "staging")));
        assertEquals(List.of(id(1), id(2), id(3), id(4), id(5)),
                ids(filter("tag:Environment", "staging", "production"), filter("tag:Role", "web")));
        assertEquals(List.of(id(1), id(2), id(3), id(4), id(5), id(7)), ids(filter("tag-key", "Role")));
        assertEquals(List.of(id(6)), ids(filter("PingStatus", "ConnectionLost")));
        assertEquals(List.of(id(7)), ids(filter("PlatformTypes", "Windows")));
        assertEquals(List.of(id(2), id(9)), ids(filter("InstanceIds", id(2), id(9))));
        assertThrows(InvalidFilterKeyException.class,
                () -> ids(filter("tag:Role", "web"), filter("PingStatus", "Online")));
    }

    @Test
    void pagesTenAtATimeByDefault() {
        var first = sim.client.describeInstanceInformation(r -> { });
        var second = sim.client.describeInstanceInformation(r -> r.nextToken(first.nextToken()));

        assertEquals(10, first.instanceInformationList().size());
        assertEquals(2, second.instanceInformationList().size());
        assertEquals(null, second.nextToken());
    }

    @Test
    void reportsANodeTakenOfflineAndItsLastPing() {
        sim.ssm.takeOffline(id(2));

        InstanceInformation offline = sim.client.describeInstanceInformation(r -> r.filters(
                filter("InstanceIds", id(2)))).instanceInformationList().get(0);
        InstanceInformation online = sim.client.describeInstanceInformation(r -> r.filters(
                filter("InstanceIds", id(1)))).instanceInformationList().get(0);

        assertEquals(PingStatus.CONNECTION_LOST, offline.pingStatus());
        assertTrue(offline.lastPingDateTime().isBefore(online.lastPingDateTime()));
        assertEquals(List.of("Linux", "EC2Instance", "Amazon Linux"), List.of(online.platformTypeAsString(),
                online.resourceTypeAsString(), online.platformName()));
        sim.ssm.bringOnline(id(2));
        assertEquals(List.of(), ids(filter("PingStatus", "ConnectionLost", "Inactive")).stream()
                .filter(id -> id.equals(id(2))).toList());
    }
}
