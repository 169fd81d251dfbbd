import { loadConfig, loadDotEnv } from './config';
import { runGateway } from './run-gateway';

void runGateway(() => {
  loadDotEnv();
  return loadConfig();
});
