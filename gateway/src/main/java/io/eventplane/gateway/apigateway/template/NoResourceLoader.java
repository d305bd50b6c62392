package io.eventplane.gateway.apigateway.template;

import java.io.Reader;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.runtime.resource.Resource;
import org.apache.velocity.runtime.resource.loader.ResourceLoader;
import org.apache.velocity.util.ExtProperties;

/**
 * The only resource loader the template engine has: it finds nothing, so {@code #parse} and
 * {@code #include} in a user's template cannot read files or classpath resources of the server.
 */
public final class NoResourceLoader extends ResourceLoader {
  @Override
  public void init(ExtProperties configuration) {
  }

  @Override
  public Reader getResourceReader(String source, String encoding) {
    throw new ResourceNotFoundException("mapping templates cannot load resources: " + source);
  }

  @Override
  public boolean resourceExists(String resourceName) {
    return false;
  }

  @Override
  public boolean isSourceModified(Resource resource) {
    return false;
  }

  @Override
  public long getLastModified(Resource resource) {
    return 0;
  }
}
