// What the Taro build defines at compile time; tests run as the H5 target.
process.env.TARO_ENV = 'h5';
