const { S3Client } = require('@aws-sdk/client-s3');

module.exports = { s3: new S3Client({}) };
