// The jest matchers cdktf's Testing.setupJest() installs, typed for the tests.
import 'cdktf/lib/testing/adapters/jest';
