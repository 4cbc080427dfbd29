package org.edgegate.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Path;
import java.util.Map;

import org.junit.Test;

public class GatewayPathsTest {
    @Test
    public void foldersFromTheirOwnPropertyElseUnderHomeElseHere() {
        Map<String, String> home = Map.of("edgegate.home", "/gw");
        assertEquals(Path.of("/gw/etc"), GatewayPaths.etc(home::get));
        assertEquals(Path.of("/gw/data"), GatewayPaths.data(home::get));
        Map<String, String> own = Map.of("edgegate.home", "/gw", "edgegate.etc", "/conf", "edgegate.data", "/var/gw");
        assertEquals(Path.of("/conf"), GatewayPaths.etc(own::get));
        assertEquals(Path.of("/var/gw"), GatewayPaths.data(own::get));
        Map<String, String> blank = Map.of("edgegate.home", " ", "edgegate.data", "");
        assertEquals(Path.of("etc"), GatewayPaths.etc(blank::get));
        assertEquals(Path.of("data"), GatewayPaths.data(blank::get));
    }

    @Test
    public void aHostNameAlways() {
        assertFalse(GatewayPaths.hostName().isBlank());
    }
}
