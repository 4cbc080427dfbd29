package org.edgegate.kernel;

import static org.junit.Assert.assertEquals;

import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.transport.EndpointStatistics;
import org.junit.Test;

public class EndpointReportTest {
    private static final Health OPEN = Health.of(HealthState.OPEN, "bound");
    private static final EndpointStatistics COUNTED = new EndpointStatistics(5, 1, 2, "last");

    @Test
    public void theRunningConnectorSpeaks() {
        assertEquals(OPEN, EndpointReport.health("x", x -> OPEN, Health.of(HealthState.FAILED, "old")));
        assertEquals(COUNTED, EndpointReport.statistics("x", x -> COUNTED, null));
    }

    @Test
    public void withoutOneTheReasonItDidNotStart() {
        Health failed = Health.of(HealthState.FAILED, "port is not a number");
        assertEquals(failed, EndpointReport.health(null, x -> OPEN, failed));
        assertEquals(new EndpointStatistics(0, 0, 0, "port is not a number"),
                EndpointReport.statistics(null, x -> COUNTED, failed));
    }

    @Test
    public void elseStoppedWithNothingCounted() {
        assertEquals(HealthState.STOPPED, EndpointReport.<String>health(null, x -> OPEN, null).state());
        assertEquals(new EndpointStatistics(0, 0, 0, ""), EndpointReport.<String>statistics(null, x -> COUNTED, null));
    }
}
