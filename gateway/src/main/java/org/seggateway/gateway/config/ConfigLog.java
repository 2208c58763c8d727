package org.seggateway.gateway.config;

import java.lang.invoke.MethodHandles;
import org.jboss.logging.BasicLogger;
import org.jboss.logging.Logger;
import org.jboss.logging.annotations.LogMessage;
import org.jboss.logging.annotations.Message;
import org.jboss.logging.annotations.MessageLogger;

/** Log events of the configuration checks, ids 8500-8999. */
@MessageLogger(projectCode = "SEGGW", length = 4)
interface ConfigLog extends BasicLogger {
    ConfigLog LOG = Logger.getMessageLogger(MethodHandles.lookup(), ConfigLog.class, ConfigLog.class.getPackageName());

    @LogMessage(level = Logger.Level.ERROR)
    @Message(id = 8500, value = "configuration refused: %s %s")
    void configurationRefused(String key, String problem);

    @LogMessage(level = Logger.Level.WARN)
    @Message(id = 8501, value = "no database password configured; starting anyway because seg-gateway.database.allow-no-password=true")
    void startingWithoutDatabasePassword();
}
