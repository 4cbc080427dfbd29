package org.edgegate.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's
 * chromedriver (nothing downloaded), against the assembled runtime as shipped (two simulated boards, the
 * pattern camera; its endpoints moved to free ports). Logs in by the console's HTTP Basic login sent as a
 * header by the browser itself (credentials in the URL would break the page's fetch()), waits for a live
 * sensor value, its trend chart and the camera's picture, stops the camera from its button, and saves a
 * screenshot as {@code runtime/target/dashboard.png}.
 */
public class DashboardBrowserIT {
    @Rule
    public final Timeout timeout = GatewayTestSupport.timeoutRule(Duration.ofMinutes(10));
    private static final Duration TIMEOUT = RuntimeProcess.TIMEOUT;
    private static final Path SCREENSHOT = GatewayTestSupport.WORK.resolveSibling("dashboard.png");

    private RuntimeProcess gateway;
    private ChromeDriver browser;

    @Before
    public void start() throws Exception {
        gateway = new RuntimeProcess("DashboardBrowserIT");
        gateway.start();

        Path profile = Files.createTempDirectory(gateway.home().getParent(), "chromium");
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,2200", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // The console's login, sent by the browser with every request (page, fetch(), pictures).
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", TestLogin.basic())));
    }

    @After
    public void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void liveValuesTrendsAndACameraThatStops() throws Exception {
        browser.get("http://127.0.0.1:" + gateway.httpPort() + "/system/console/edgegate");
        assertTrue(browser.getTitle(), browser.getTitle().contains("EdgeGate"));

        // A sim: sensor's value changes on the page.
        String first = awaitText("a temperature trend value", () -> text(
                "#eg-trends [data-sensor='th'] [data-channel='temperature'] .eg-trend-now"));
        GatewayTestSupport.await("the temperature to change on the page", TIMEOUT, () -> !first.equals(text(
                "#eg-trends [data-sensor='th'] [data-channel='temperature'] .eg-trend-now")));
        // Its trend has points, drawn by uPlot on a canvas.
        GatewayTestSupport.await("the temperature trend with points", TIMEOUT, () -> {
            String n = attribute("#eg-trends [data-sensor='th'] [data-channel='temperature']", "data-points");
            return n != null && Integer.parseInt(n) >= 2;
        });
        assertTrue("a uPlot canvas", !browser.findElements(By.cssSelector(
                "#eg-trends [data-sensor='th'] [data-channel='temperature'] canvas")).isEmpty());
        String range = text("#eg-trends [data-sensor='th'] [data-channel='temperature'] .eg-trend-range");
        assertTrue(range, range.matches("min .*°C · max .*°C · \\d+ points"));
        String head = text("#eg-trends [data-sensor='th'] .eg-trend-head");
        assertTrue(head, head.contains("lines/s") && head.contains("errors"));

        // Endpoints, with their mode and a link to their configuration; "add" opens the factory's form.
        GatewayTestSupport.await("the native endpoint listed", TIMEOUT,
                () -> text("#eg-endpoints tbody").contains("native"));
        String link = attribute("#eg-sensors tbody a.eg-config", "href");
        assertTrue(link, link != null && link.contains("/system/console/configMgr/org.edgegate.serial.sensor~"));
        String add = attribute("a.eg-add[data-kind='camera']", "href");
        assertTrue(add, add != null && add.endsWith("/system/console/configMgr/org.edgegate.camera"));

        // The camera tile shows live video (the MJPEG stream of bundles/http) of non-zero size.
        GatewayTestSupport.await("the camera's video", TIMEOUT, () -> {
            Object w = js("var i = document.querySelector('.eg-camera .eg-picture');"
                    + "return i ? i.naturalWidth * i.naturalHeight : 0;");
            return w instanceof Number n && n.longValue() > 0;
        });
        String src = attribute(".eg-camera .eg-picture", "src");
        assertTrue(src, src.contains("/edgegate/cameras/demo/stream.mjpg"));
        assertEquals("stream", attribute(".eg-camera", "data-mode"));
        GatewayTestSupport.await("the camera running with a JPEG path", TIMEOUT,
                () -> "true".equals(attribute(".eg-camera", "data-running"))
                        && text(".eg-camera .eg-camera-stats").contains("JPEG "));
        GatewayTestSupport.await("a trend of the other board too", TIMEOUT,
                () -> !browser.findElements(By.cssSelector("#eg-trends [data-sensor='gas'] canvas")).isEmpty());
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));

        // Stop: the camera stops (the gateway says so, and the page).
        WebElement stop = browser.findElement(By.xpath("//div[contains(@class,'eg-camera')]//button[text()='Stop']"));
        stop.click();
        GatewayTestSupport.await("the camera stopped in the gateway", TIMEOUT,
                () -> gateway.cli("gw:cameras").output().contains("STOPPED"));
        GatewayTestSupport.await("the page showing it stopped", TIMEOUT,
                () -> "false".equals(attribute(".eg-camera", "data-running"))
                        && text(".eg-camera .eg-camera-head").contains("STOPPED"));
        assertEquals("Start enabled", null, browser.findElement(
                By.xpath("//div[contains(@class,'eg-camera')]//button[text()='Start']")).getAttribute("disabled"));
        Files.write(SCREENSHOT.resolveSibling("dashboard-stopped.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private String attribute(String css, String name) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getAttribute(name);
    }

    private static String awaitText(String what, java.util.function.Supplier<String> text) {
        return GatewayTestSupport.awaitValue(what, TIMEOUT, () -> {
            String t = text.get();
            return t == null || t.isEmpty() || t.equals("-") ? null : t;
        });
    }
}
