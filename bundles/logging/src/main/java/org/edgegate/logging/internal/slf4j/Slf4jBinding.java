package org.edgegate.logging.internal.slf4j;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LoggerFactory;

/** Hands the OSGi LoggerFactory to the SLF4J loggers for as long as there is one. */
@Component(immediate = true)
public class Slf4jBinding {
    @Reference
    private LoggerFactory factory;

    @Activate
    void activate() {
        BridgeLogger.bind(factory);
    }

    @Deactivate
    void deactivate() {
        BridgeLogger.unbind(factory);
    }
}
