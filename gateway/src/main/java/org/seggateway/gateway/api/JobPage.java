package org.seggateway.gateway.api;

import java.util.List;

/** One page of jobs, newest first. */
public record JobPage(int page, int size, long total, List<JobView> jobs) {
}
